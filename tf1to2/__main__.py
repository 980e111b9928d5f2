from tf1to2.cli import main

raise SystemExit(main())
